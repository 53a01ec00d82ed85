"""One module per command. Each imports what its work needs inside the function that runs it,
so a command loads only its own part of hls-audit."""
