"""The schema steps, one module each, named as the step; :mod:`roasterdesk.store.schema` lists
them in the order they run. A new step is a new module here plus one line in that list."""
