parts = []
for i in range(300000):
    parts.append(f"item-{i}")
text = ",".join(parts)
print(len(text))
