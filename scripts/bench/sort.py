xs = []
seed = 42
for i in range(1000000):
    seed = (seed * 1103515245 + 12345) % 2147483648
    xs.append(seed)
xs.sort()
print(xs[0], xs[999999])
