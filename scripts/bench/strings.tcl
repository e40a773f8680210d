set parts {}
for {set i 0} {$i < 300000} {incr i} { lappend parts "item-$i" }
set text [join $parts ","]
puts [string length $text]
