"""Pure functions: HTML to article, text to facts, frames to frames. No disk, no network."""
