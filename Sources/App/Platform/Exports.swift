// The rules are part of what App offers: `import App` brings them along (the command-line entry point and the tests).
@_exported import SamverkaRules
