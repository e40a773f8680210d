k = 3
add = lambda x: x + k
total = 0
for i in range(2000000):
    total = add(total) % 1000003
print(total)
