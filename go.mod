module github.com/opsync/integrationlogs

go 1.26.0
