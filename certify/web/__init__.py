"""Server-rendered pages for buyers, artisans, inspectors, certifiers and admins (`router`)."""
