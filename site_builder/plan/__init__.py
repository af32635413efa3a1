"""Planning: which pages a site has, what each shows, and which ones an edit affects."""
