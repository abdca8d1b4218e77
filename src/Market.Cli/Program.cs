// The consumer CLI. Commands are built in Commands/ (to be written).
return 0;
