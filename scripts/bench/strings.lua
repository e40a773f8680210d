local parts = {}
for i = 0, 299999 do
    parts[#parts + 1] = "item-" .. i
end
local text = table.concat(parts, ",")
print(#text)
