using System.Runtime.Versioning;

// The agent drives runc, cgroups and /proc: it is Linux-only by design.
[assembly: SupportedOSPlatform("linux")]
