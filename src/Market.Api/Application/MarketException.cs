namespace Market.Api.Application;

/// <summary>
/// A refusal the client can act on: becomes an RFC 9457 problem detail with this status, a stable
/// <see cref="Code"/> (the problem "type" suffix) and a human-readable detail. Never carries secrets.
/// </summary>
public class MarketException(int status, string code, string detail) : Exception(detail)
{
    public int Status { get; } = status;
    public string Code { get; } = code;

    public static MarketException NotFound(string what) => new(StatusCodes.Status404NotFound, "not-found", $"{what} was not found");
    public static MarketException Forbidden(string detail) => new(StatusCodes.Status403Forbidden, "forbidden", detail);
    public static MarketException Conflict(string code, string detail) => new(StatusCodes.Status409Conflict, code, detail);
    public static MarketException Invalid(string code, string detail) => new(StatusCodes.Status400BadRequest, code, detail);
}
