using System.Text.Json;
using Market.Protocol.Jobs;
using ProviderAgent.Images;
using ProviderAgent.Runtime;

namespace ProviderAgent.Leases;

/// <summary>Turns a verified lease's job spec into a container spec, or says why it cannot run here.</summary>
public static class LeaseJob
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static JobSpec? Parse(string specJson, out string? error)
    {
        try
        {
            var spec = JsonSerializer.Deserialize<JobSpec>(specJson, Json);
            error = spec is null ? "the job spec is null" : spec.Command is not { Count: > 0 } ? "the job spec has no command" : null;
            return error is null ? spec : null;
        }
        catch (JsonException e) { error = $"the job spec is malformed: {e.Message}"; return null; }
    }

    /// <summary>
    /// The container for a job: the spec's image (local store only), command, env and limits; a CPU
    /// share proportional to the lease's mNCU out of the machine's; a timeout that ends with the lease.
    /// </summary>
    public static ContainerSpec? ToContainer(JobSpec job, ImageStore images, ulong leaseMilliNcu, ulong totalMilliNcu, TimeSpan timeout,
        bool allowNetwork, long outputCap, string leaseId, out string? error)
    {
        error = null;
        if (job.ComputeType != 0) { error = $"compute type {job.ComputeType} is not served by this agent (Logical only)"; return null; }
        if (job.Network && !allowNetwork) { error = "the job asks for network access, which this provider does not allow"; return null; }
        ImageRecord? image;
        try { image = images.Resolve(job.Image); }
        catch (Exception e) when (e is ArgumentException or ImageImportException) { image = null; }
        if (image is null) { error = $"image {job.Image} is not in this provider's image store"; return null; }
        double cpus = Math.Clamp(Environment.ProcessorCount * (double)leaseMilliNcu / Math.Max(1, totalMilliNcu), 0.05, Environment.ProcessorCount);
        var limits = new ContainerLimits(
            MemoryBytes: (long)job.Resources.MemoryMb << 20, Cpus: Math.Round(cpus, 3), Pids: job.Resources.Pids, TmpfsBytes: (long)job.Resources.TmpMb << 20);
        try { limits.Validate(); }
        catch (ArgumentOutOfRangeException e) { error = $"resources out of range: {e.Message}"; return null; }
        var env = job.Env.Select(kv => $"{kv.Key}={kv.Value}").ToList();
        if (env.Any(e => e.StartsWith('='))) { error = "an env name is empty"; return null; }
        return new ContainerSpec(image, job.Command, env, Limits: limits, Timeout: timeout, Network: job.Network, LeaseId: leaseId, LogCapBytes: outputCap);
    }
}
