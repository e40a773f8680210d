local xs = {}
local seed = 42
for i = 1, 1000000 do
    seed = (seed * 1103515245 + 12345) % 2147483648
    xs[i] = seed
end
table.sort(xs)
print(xs[1], xs[1000000])
