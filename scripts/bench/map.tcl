set m [dict create]
for {set i 0} {$i < 200000} {incr i} { dict set m "key$i" $i }
set total 0
for {set i 0} {$i < 200000} {incr i} { set total [expr {$total + [dict get $m "key$i"]}] }
puts "[dict size $m] $total"
