namespace LcnecBatch.Core.Synthetic;

/// <summary>
/// The one seeded random source and the small steps every part of the plan shares: dates clamped to the
/// archive, late arrivals, specimens, rows. Every draw happens in a fixed order, so a seed gives one archive.
/// </summary>
internal sealed class ArchiveBuilder(GeneratorOptions options, Random random)
{
    public GeneratorOptions Options { get; } = options;

    public SyntheticArchive Archive { get; } = new();

    public DateOnly LastDay => Options.End;

    /// <summary>The batch date <paramref name="offset"/> days after the start, kept inside the archive.</summary>
    public DateOnly Day(int offset) => Options.Start.AddDays(Math.Clamp(offset, 0, Options.Days - 1));

    public DateOnly Clamp(DateOnly date) => date > LastDay ? LastDay : date;

    public bool Chance(double probability) => random.NextDouble() < probability;

    public double NextDouble() => random.NextDouble();

    public int Next(int minInclusive, int maxExclusive) => random.Next(minInclusive, maxExclusive);

    public T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>Picks by weight; weights need not sum to one.</summary>
    public T Pick<T>(params (T Item, double Weight)[] items)
    {
        var roll = random.NextDouble() * items.Sum(i => i.Weight);
        foreach (var (item, weight) in items)
        {
            if (roll < weight)
            {
                return item;
            }
            roll -= weight;
        }
        return items[^1].Item;
    }

    /// <summary>Most rows arrive in the batch of their own date; a few come one to three nights late.</summary>
    public DateOnly Arrival(DateOnly date) => Clamp(date.AddDays(Chance(0.08) ? random.Next(1, 4) : 0));

    /// <summary>A birth date that makes the patient exactly <paramref name="age"/> on <paramref name="on"/>.</summary>
    public DateOnly BirthDate(int age, DateOnly on) => on.AddYears(-age).AddDays(-random.Next(20, 340));

    public Specimen NewSpecimen(char prefix, DateOnly date)
    {
        var specimen = new Specimen(prefix, date);
        Archive.Specimens.Add(specimen);
        return specimen;
    }

    public void Patient(string mrn, DateOnly batch, string? sex, DateOnly? birthDate, string? smoking, decimal? packYears, string? careTeam) =>
        Archive.Demographics.Add(new DemographicsRow(mrn, batch, sex, birthDate, smoking, packYears, careTeam));

    public IhcRow Ihc(Specimen specimen, string mrn, DateOnly date, DateOnly batch, string marker, string? clone, string result, int? value = null, string? comment = null)
    {
        var row = new IhcRow(specimen, mrn, date, batch, marker, clone, result, value, comment);
        Archive.Ihc.Add(row);
        return row;
    }

    public MolecularRow Molecular(Specimen specimen, string mrn, DateOnly date, DateOnly batch, string method, string gene, string result, string? alteration, bool namesFile)
    {
        var row = new MolecularRow(specimen, mrn, date, batch, method, gene, result, alteration, namesFile);
        Archive.Molecular.Add(row);
        return row;
    }

    /// <summary>A pack-years figure a smoker of this age can have, sometimes left empty as extracts often do.</summary>
    public decimal? PackYears(string? smoking, int age)
    {
        var most = Math.Clamp((int)((age - 16) * 1.2), 6, 80);
        return smoking switch
        {
            "former" or "current" when !Chance(0.15) => random.Next(Math.Min(10, most - 1), most) + (Chance(0.2) ? 0.5m : 0),
            "never" when Chance(0.3) => 0,
            _ => null,
        };
    }

    /// <summary>
    /// Numbers every specimen in date order, as a laboratory information system would: <c>S26-04417</c> for
    /// surgical pathology, <c>M26-00123</c> for molecular.
    /// </summary>
    public void NumberAccessions()
    {
        var next = new Dictionary<char, int> { ['S'] = random.Next(1_000, 4_000), ['M'] = random.Next(100, 600) };
        var ordered = Archive.Specimens.Select((s, i) => (s, i)).OrderBy(p => p.s.Date).ThenBy(p => p.i).Select(p => p.s);
        foreach (var specimen in ordered)
        {
            next[specimen.Prefix] += random.Next(1, specimen.Prefix == 'S' ? 6 : 3);
            specimen.Accession = $"{specimen.Prefix}{specimen.Date.Year % 100:D2}-{next[specimen.Prefix]:D5}";
        }
    }
}
