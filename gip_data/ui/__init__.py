"""The only part of gip_data that imports streamlit: shared page plumbing."""
