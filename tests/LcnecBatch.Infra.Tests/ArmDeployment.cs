using System.Text.Json;
using System.Text.RegularExpressions;

namespace LcnecBatch.Infra.Tests;

/// <summary>
/// One template of a compiled Bicep deployment (main, or a module as a nested deployment) and
/// the values its parent passes to its parameters, so an expression can be followed to where
/// its value comes from: <c>parameters('x')</c> to the parent's argument, <c>variables('x')</c>
/// to the variable. Handles both the classic (resources as an array) and the symbolic-name
/// (languageVersion 2.0, resources as an object) template shapes.
/// </summary>
public sealed partial class ArmDeployment
{
    private const int MaxDepth = 32;
    private readonly JsonElement _template;
    private readonly JsonElement? _arguments;
    private readonly ArmDeployment? _parent;
    private readonly List<ArmResource> _resources = [];
    private readonly List<ArmDeployment> _modules = [];

    private ArmDeployment(string name, JsonElement template, JsonElement? arguments, ArmDeployment? parent)
    {
        Name = name;
        _template = template;
        _arguments = arguments;
        _parent = parent;
        foreach (var (symbol, json) in Entries(template.TryGetProperty("resources", out var resources) ? resources : default))
        {
            var resource = new ArmResource(symbol, json, this);
            _resources.Add(resource);
            if (resource.Type == "Microsoft.Resources/deployments"
                && resource.Properties.TryGetProperty("template", out var nested))
            {
                var moduleArguments = resource.Properties.TryGetProperty("parameters", out var values) ? values : (JsonElement?)null;
                _modules.Add(new ArmDeployment(symbol, nested, moduleArguments, this));
            }
        }
    }

    /// <summary>The module's symbolic name in its parent ("main" for the root).</summary>
    public string Name { get; }

    public JsonElement Template => _template;

    public static ArmDeployment Load(JsonElement root) => new("main", root, null, null);

    /// <summary>This template's resources and, recursively, those of its modules.</summary>
    public IEnumerable<ArmResource> AllResources() =>
        _resources.Concat(_modules.SelectMany(m => m.AllResources()));

    /// <summary>The type of the resource a symbolic name (as in <c>reference('name')</c>) stands for in this template.</summary>
    public string? TypeOfSymbol(string symbol) =>
        _resources.FirstOrDefault(r => r.Symbol == symbol)?.Type;

    /// <summary>
    /// The text of a value with every <c>variables('x')</c> and <c>parameters('x')</c> replaced by
    /// what it stands for (a parameter the parent does not pass stays as it is).
    /// </summary>
    public string Resolve(JsonElement value) => Resolve(Text(value), 0);

    /// <summary>A value that is exactly <c>[variables('x')]</c> replaced by the variable's JSON.</summary>
    public JsonElement ResolveElement(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String
            && WholeVariable().Match(value.GetString()!) is { Success: true } match
            && _template.TryGetProperty("variables", out var variables)
            && variables.TryGetProperty(match.Groups["name"].Value, out var variable))
        {
            return ResolveElement(variable);
        }
        return value;
    }

    private string Resolve(string text, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException($"expression nests deeper than {MaxDepth}: {text}");
        }
        return Reference().Replace(text, match =>
        {
            var name = match.Groups["name"].Value;
            if (match.Groups["kind"].Value == "variables")
            {
                return _template.TryGetProperty("variables", out var variables) && variables.TryGetProperty(name, out var variable)
                    ? "(" + Resolve(Text(variable), depth + 1) + ")"
                    : match.Value;
            }
            return _parent is not null && _arguments is { } arguments
                && arguments.TryGetProperty(name, out var argument) && argument.TryGetProperty("value", out var value)
                ? "(" + _parent.Resolve(Text(value), depth + 1) + ")"
                : match.Value;
        });
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        // "[expr]" is an expression; "[[..." is a literal that starts with "[".
        JsonValueKind.String when value.GetString() is { } s && s.StartsWith('[') && !s.StartsWith("[[", StringComparison.Ordinal) && s.EndsWith(']') => s[1..^1],
        JsonValueKind.String => value.GetString()!,
        _ => value.GetRawText(),
    };

    private static IEnumerable<(string Symbol, JsonElement Json)> Entries(JsonElement resources) => resources.ValueKind switch
    {
        JsonValueKind.Object => resources.EnumerateObject().Select(p => (p.Name, p.Value)),
        JsonValueKind.Array => resources.EnumerateArray().Select(r => (r.TryGetProperty("name", out var n) ? n.GetRawText() : "", r)),
        _ => [],
    };

    [GeneratedRegex(@"(?<kind>variables|parameters)\('(?<name>[^']+)'\)")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^\[variables\('(?<name>[^']+)'\)\]$")]
    private static partial Regex WholeVariable();
}

/// <summary>One resource of a compiled template, with the template it belongs to.</summary>
public sealed partial record ArmResource(string Symbol, JsonElement Json, ArmDeployment Deployment)
{
    public string Type => Json.GetProperty("type").GetString()!;

    /// <summary>A reference to a resource declared elsewhere (<c>existing</c> in Bicep).</summary>
    public bool IsExisting => Json.TryGetProperty("existing", out var existing) && existing.ValueKind == JsonValueKind.True;

    public JsonElement Properties => Deployment.ResolveElement(Json.GetProperty("properties"));

    public string Resolve(JsonElement value) => Deployment.Resolve(value);

    /// <summary>
    /// The resource type of an extension resource's <c>scope</c> (<c>Microsoft.Storage/storageAccounts</c>
    /// for <c>[resourceId('Microsoft.Storage/storageAccounts', ...)]</c> or <c>[format('Microsoft.Storage/storageAccounts/{0}', ...)]</c>),
    /// or null when it has no scope or its scope is not a resource.
    /// </summary>
    public string? ScopeResourceType()
    {
        if (!Json.TryGetProperty("scope", out var scope) || scope.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        var match = ScopeExpression().Match(scope.GetString()!);
        if (!match.Success)
        {
            return null;
        }
        var segments = match.Groups["path"].Value.Split('/').Where(s => !PlaceholderSegment().IsMatch(s));
        return string.Join('/', segments);
    }

    [GeneratedRegex(@"^\[(?:resourceId|extensionResourceId|format)\('(?<path>Microsoft\.[A-Za-z]+/[^']+)'")]
    private static partial Regex ScopeExpression();

    [GeneratedRegex(@"^\{\d+\}$")]
    private static partial Regex PlaceholderSegment();
}
