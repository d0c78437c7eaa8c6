"""HTTP routes, one module per resource; app.py lists the routers it includes."""
