package sqlstore

import (
	"context"
	"log/slog"
)

// log writes a record of a recorder transition at level info, when the
// Store has a Logger.
func (s *Store) log(ctx context.Context, msg string, attrs ...any) {
	s.logAt(ctx, slog.LevelInfo, msg, attrs...)
}

func (s *Store) logAt(ctx context.Context, level slog.Level, msg string, attrs ...any) {
	if s.logger == nil {
		return
	}
	s.logger.Log(ctx, level, msg, attrs...)
}
