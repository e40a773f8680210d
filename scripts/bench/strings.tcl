set parts {}
for {set i 0} {$i < 300000} {incr i} { lappend parts "item-$i" }
set text [join $parts ","]
set back [split $text ","]
set built ""
foreach p $back { if {[string index $p end] eq "7"} { append built $p } }
puts "[string length $text] [llength $back] [string length $built]"
