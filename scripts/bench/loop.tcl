set total 0
for {set i 0} {$i < 10000000} {incr i} {
    set total [expr {$total + $i * 2 % 7}]
}
puts $total
