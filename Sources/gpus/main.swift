import Commands

await GPUS.start()
