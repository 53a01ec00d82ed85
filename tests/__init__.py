"""Tests for hls-audit."""
