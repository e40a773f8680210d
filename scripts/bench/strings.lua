local parts = {}
for i = 0, 299999 do
    parts[#parts + 1] = "item-" .. i
end
local text = table.concat(parts, ",")
local back = {}
for p in string.gmatch(text, "([^,]*)") do back[#back + 1] = p end
local built = ""
for _, p in ipairs(back) do
    if string.sub(p, -1) == "7" then built = built .. p end
end
print(#text, #back, #built)
