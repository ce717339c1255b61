"""Route modules: thin, they call the node's services and a renderer."""
