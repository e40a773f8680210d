name = "pod"
total = 0
for i in range(500000):
    s = f"{name}-{i}"
    total = total + len(s)
print(total)
