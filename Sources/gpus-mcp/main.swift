import ArgumentParser
import Commands

// `gpus mcp …` execs this program with the words after `mcp` (Commands/MCPLauncher.swift).
await MCPServerCommand.serve(Array(CommandLine.arguments.dropFirst()))
