// A gridhook callback receiver: ASP.NET Core Minimal API, verified with the
// StandardWebhooks package (which also refuses timestamps more than five
// minutes from now).
//
//   WEBHOOK_SECRET=whsec_... dotnet run --urls http://127.0.0.1:9000
//
// WEBHOOK_SECRET may hold several secrets separated by spaces (the old and the
// new one while you rotate yours).
using System.Text.Json;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

var builder = WebApplication.CreateBuilder(args);
var webhooks = (Environment.GetEnvironmentVariable("WEBHOOK_SECRET") ?? "")
    .Split(' ', StringSplitOptions.RemoveEmptyEntries)
    .Select(secret => new StandardWebhook(secret))
    .ToArray();
if (webhooks.Length == 0) throw new InvalidOperationException("Set WEBHOOK_SECRET to the callback's whsec_ secret.");
var app = builder.Build();

app.MapPost("/webhooks/ecgrid", async (HttpRequest request) =>
{
    // The exact bytes that were signed: read the body as text, never a re-serialised object.
    using var reader = new StreamReader(request.Body);
    var body = await reader.ReadToEndAsync();

    var refusal = Refusal(body, request.Headers);
    if (refusal is not null)
    {
        Console.WriteLine($"refused {refusal}");
        return Results.Json(new { error = refusal.Split(':')[0] }, statusCode: 401);
    }

    CallbackEvent? received;
    try
    {
        received = JsonSerializer.Deserialize<CallbackEvent>(body, new JsonSerializerOptions(JsonSerializerDefaults.Web));
    }
    catch (JsonException)
    {
        received = null;
    }
    if (received is null)
    {
        Console.WriteLine("refused MalformedBody: the body is not a delivery payload");
        return Results.Json(new { error = "MalformedBody" }, statusCode: 400);
    }
    Console.WriteLine(
        $"verified webhook-id={request.Headers["webhook-id"]} eventId={received.EventId} callBackEvent={received.CallBackEvent} " +
        $"parcelId={received.ParcelId} fileName={received.FileName} isTest={(received.IsTest ? "true" : "false")}");
    return Results.Ok(new { received = true });
});

app.Run();

// Why the delivery is refused, or null when one of its signatures verifies.
// StandardWebhooks 1.1.2 compares only the first of several space-separated
// signatures, and during a secret rotation's grace gridhook sends two (new, old),
// so each one is verified on its own.
string? Refusal(string body, IHeaderDictionary headers)
{
    var signatures = headers["webhook-signature"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    var refusal = "BadSignature: the webhook-signature header is missing";
    foreach (var signature in signatures)
    {
        var single = new HeaderDictionary
        {
            ["webhook-id"] = headers["webhook-id"],
            ["webhook-timestamp"] = headers["webhook-timestamp"],
            ["webhook-signature"] = signature,
        };
        foreach (var webhook in webhooks)
        {
            try
            {
                webhook.Verify(body, single);
                return null;
            }
            catch (WebhookVerificationException error)
            {
                refusal = error.Message.Contains("timestamp too", StringComparison.Ordinal)
                    ? $"StaleTimestamp: {error.Message}"
                    : $"BadSignature: {error.Message}";
            }
        }
    }
    return refusal;
}

/// <summary>The JSON body of every gridhook delivery.</summary>
record CallbackEvent(
    long EventId,
    long CallBackQueueId,
    string CallBackEvent,
    long EcGridId,
    long MailboxId,
    long ParcelId,
    string FileName,
    string EventDateTime,
    bool IsTest,
    long NetworkId);
