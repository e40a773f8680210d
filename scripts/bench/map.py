m = {}
for i in range(200000):
    m[f"key{i}"] = i
total = 0
for i in range(200000):
    total = total + m[f"key{i}"]
print(len(m), total)
