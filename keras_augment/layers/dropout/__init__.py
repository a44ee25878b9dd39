"""Layers that blank regions of each image: RandomErasing, RandomCutout, GridMask."""
