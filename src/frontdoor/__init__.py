"""Front Door: the call handler's assistant for a health and social care Single Point of Access."""

__version__ = "0.1.0"
