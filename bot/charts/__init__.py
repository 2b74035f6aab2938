"""Progress charts as PNG images, drawn headless with matplotlib's Agg canvas."""
