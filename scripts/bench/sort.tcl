set xs {}
set seed 42
for {set i 0} {$i < 1000000} {incr i} {
    set seed [expr {($seed * 1103515245 + 12345) % 2147483648}]
    lappend xs $seed
}
set xs [lsort -integer $xs]
puts "[lindex $xs 0] [lindex $xs 999999]"
