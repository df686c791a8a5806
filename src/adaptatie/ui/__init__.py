"""The UI layer: the only package code that imports streamlit and folium."""
