local m = {}
local n = 0
for i = 0, 199999 do
    m["key" .. i] = i
    n = n + 1
end
local total = 0
for i = 0, 199999 do
    total = total + m["key" .. i]
end
print(n, total)
