/* Catalogue: the import of innovation records (admins). Keep both languages. */
#include "i18n/i18n.h"

const struct msg i18n_innovations_import[] = {
	{ "innoimport.title", "Importer des fiches d’innovation", "Import innovation records" },
	{ "innoimport.intro",
	  "Un fichier CSV (UTF-8, séparé par « ; » ou « , ») dont les colonnes sont celles de l’export : ref, title, "
	  "academy, type, started_year et duration_years sont obligatoires ; les listes séparent leurs valeurs par "
	  "« | ». Une fiche dont la ref est connue est mise à jour (une révision est gardée), une nouvelle ref crée "
	  "une fiche. Le coordinateur est le membre de la colonne coordinator_email, sinon vous.",
	  "A CSV file (UTF-8, separated by “;” or “,”) whose columns are the export’s: ref, title, academy, type, "
	  "started_year and duration_years are required; lists separate their values with “|”. A record whose ref "
	  "is known is updated (a revision is kept), a new ref creates a record. The coordinator is the member of "
	  "the coordinator_email column, else you." },
	{ "innoimport.file", "Fichier CSV", "CSV file" },
	{ "innoimport.dry_run", "Vérifier seulement, sans rien enregistrer", "Check only, write nothing" },
	{ "innoimport.send", "Importer", "Import" },
	{ "innoimport.export", "Exporter les fiches (CSV)", "Export the records (CSV)" },
	{ "innoimport.result", "Résultat de l’import", "Import result" },
	{ "innoimport.result_dry", "Résultat de la vérification (rien n’a été enregistré)",
	  "Check result (nothing was written)" },
	{ "innoimport.created", "créées", "created" },
	{ "innoimport.updated", "mises à jour", "updated" },
	{ "innoimport.unchanged", "inchangées", "unchanged" },
	{ "innoimport.rejected", "refusées", "rejected" },
	{ "innoimport.rejected_lines", "Lignes refusées", "Rejected lines" },
	{ "innoimport.line", "Ligne", "Line" },
	{ "innoimport.reason", "Raison", "Reason" },
	{ "innoimport.more", "lignes refusées de plus ne sont pas affichées.", "more rejected lines are not shown." },
	{ "innoimport.no_file", "Choisissez un fichier CSV.", "Choose a CSV file." },
	{ "innoimport.refused", "Le fichier est refusé :", "The file is refused:" },
	{ NULL, NULL, NULL }
};
