"""Layers that move pixels through one 3x3 matrix per sample, and the one geometric path they share."""
