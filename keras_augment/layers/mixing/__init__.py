"""Layers whose outputs are made of several input samples: MixUp, CutMix, Mosaic."""
