// Run after the destroy: fails when a Personalize resource named with one of the given
// prefixes is still there (a dataset group, its datasets, a solution, a version still training, a campaign).
import {
  PersonalizeClient, paginateListCampaigns, paginateListDatasetGroups, paginateListDatasets, paginateListSolutionVersions, paginateListSolutions,
} from '@aws-sdk/client-personalize';

/** What the account still holds under the prefixes, one line each; empty when nothing is left. */
export async function leftovers(client: PersonalizeClient, prefixes: string[]): Promise<string[]> {
  const found: string[] = [];
  const named = (name: string | undefined) => name !== undefined && prefixes.some(prefix => name.startsWith(prefix));
  for await (const page of paginateListDatasetGroups({ client }, {})) {
    for (const group of page.datasetGroups ?? []) {
      if (!named(group.name)) {
        continue;
      }
      found.push(`dataset group ${group.datasetGroupArn} (${group.status})`);
      for await (const datasets of paginateListDatasets({ client }, { datasetGroupArn: group.datasetGroupArn })) {
        found.push(...(datasets.datasets ?? []).map(d => `dataset ${d.datasetArn} (${d.status})`));
      }
    }
  }
  for await (const page of paginateListSolutions({ client }, {})) {
    for (const solution of (page.solutions ?? []).filter(s => named(s.name))) {
      found.push(`solution ${solution.solutionArn} (${solution.status})`);
      for await (const versions of paginateListSolutionVersions({ client }, { solutionArn: solution.solutionArn })) {
        found.push(...(versions.solutionVersions ?? []).map(v => `solution version ${v.solutionVersionArn} (${v.status})`));
      }
    }
  }
  for await (const page of paginateListCampaigns({ client }, {})) {
    found.push(...(page.campaigns ?? []).filter(c => named(c.name)).map(c => `campaign ${c.campaignArn} (${c.status})`));
  }
  return found;
}

async function main(prefixes: string[]): Promise<number> {
  if (prefixes.length === 0) {
    console.error('usage: after-destroy.ts <name prefix>...');
    return 2;
  }
  const names = prefixes.map(prefix => `${prefix}*`).join(', ');
  const left = await leftovers(new PersonalizeClient({}), prefixes);
  if (left.length > 0) {
    console.error(`Left after the destroy (named ${names}):\n${left.map(line => `  ${line}`).join('\n')}`);
    return 1;
  }
  console.log(`Nothing named ${names} is left.`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(code => process.exit(code), error => {
    console.error(error);
    process.exit(1);
  });
}
