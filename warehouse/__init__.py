"""DuckDB storage: schema and migrations, loads, views. The only package that writes the warehouse."""
