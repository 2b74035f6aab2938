"""The runtime: the one composition root, the process's HTTP server and the command line."""
