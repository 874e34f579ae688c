"""Grade answers to exercises on the mathematics of deep learning."""
