"""Layers that change pixel values in place: intensity, hue and saturation, pixel maps, histograms, filters, noise."""
