using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scalegram.Tests.Infrastructure;
using Scalegram.Tests.Infrastructure.Engines;

namespace Scalegram.Tests.Accounts;

/// <summary>Two web nodes on one PostgreSQL and one Redis: a session signed out through one node is refused by the other at once.</summary>
public sealed class SessionsAcrossNodesTests : IAsyncLifetime
{
    private WebNodes _nodes = null!;

    public async Task InitializeAsync() => _nodes = await WebNodes.StartAsync(await RedisServer.SharedAsync());

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    [Fact]
    public async Task A_session_signed_out_by_ID_on_node_A_is_refused_by_node_B_at_once()
    {
        var name = ApiClient.NewName("xn");
        using var onA = await ApiClient.SignedInAsync(_nodes.A, name);
        using var signIn = _nodes.B.CreateClient();
        using var phoneOnB = _nodes.B.CreateClient(await ApiClient.TokenAsync(signIn, name));
        Assert.Equal(HttpStatusCode.OK, (await phoneOnB.GetAsync("/api/me")).StatusCode);
        var phoneId = Assert.Single((await onA.GetFromJsonAsync<JsonElement>("/api/me/sessions")).EnumerateArray(), s => !s.GetProperty("current").GetBoolean())
            .GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.NoContent, (await onA.DeleteAsync($"/api/me/sessions/{phoneId}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await phoneOnB.GetAsync("/api/me")).StatusCode);
        using var phoneOnA = _nodes.A.CreateClient(phoneOnB.DefaultRequestHeaders.Authorization!.Parameter);
        Assert.Equal(HttpStatusCode.Unauthorized, (await phoneOnA.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task A_password_changed_on_node_A_signs_the_other_sessions_out_on_node_B()
    {
        var name = ApiClient.NewName("xn");
        using var onA = await ApiClient.SignedInAsync(_nodes.A, name);
        using var signIn = _nodes.B.CreateClient();
        using var onB = _nodes.B.CreateClient(await ApiClient.TokenAsync(signIn, name));
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/me")).StatusCode);

        var changed = await onA.PostAsJsonAsync("/api/me/password", new { currentPassword = ApiClient.Password, newPassword = "another-long-passphrase" });

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await onB.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await onA.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await signIn.PostAsJsonAsync("/api/sessions", new { username = name, password = ApiClient.Password })).StatusCode);
    }
}
