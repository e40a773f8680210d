parts = []
for i in range(300000):
    parts.append(f"item-{i}")
text = ",".join(parts)
back = text.split(",")
built = ""
for p in back:
    if p.endswith("7"):
        built += p
print(len(text), len(back), len(built))
