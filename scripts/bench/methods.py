counter = {"step": 2, "add": lambda x: x + 1}
names = ["a", "b", "c"]
total = 0
for i in range(300000):
    total = total + counter.get("step") + len(names) + counter["add"](i) % 3
    if "step" in counter:
        total = total + 1
print(total)
