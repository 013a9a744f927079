"""Table models (QAbstractTableModel) over the store."""
