"""A small application package: importing it loads none of its modules."""
