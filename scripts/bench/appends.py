xs = []
for i in range(1000000):
    xs.append(i)
print(len(xs), xs[999999])
