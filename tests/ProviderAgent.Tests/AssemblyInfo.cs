using System.Runtime.Versioning;

// The agent is Linux-only (runc, cgroups, /proc); so are its tests.
[assembly: SupportedOSPlatform("linux")]
