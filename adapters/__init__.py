"""Platform adapters: each turns platform events into invocations and renders core replies."""
