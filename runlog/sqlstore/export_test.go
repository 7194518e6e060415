package sqlstore

// PurgeRangeSQL returns the batch statements of Store.Purge: the read of
// the batch's last row, the DELETE down to it, the DELETE of the rest.
func PurgeRangeSQL(b *Builder) (last, del, rest string) {
	return b.purgeRange.last, b.purgeRange.delete, b.purgeRange.rest
}
