/** French messages shared by every form (keys start with `form.`); see lib/forms/fieldErrors.ts. */
export const formFr = {
	'form.required': 'Ce champ est obligatoire.',
	'form.tooShort': 'Au moins {min} caractères.',
	'form.tooLong': 'Au plus {max} caractères.',
	'form.email': 'Saisissez une adresse e-mail valide (ex. nom@domaine.mg).',
	'form.url': 'Saisissez une adresse web valide (https://…).',
	'form.number': 'Saisissez un nombre.',
	'form.integer': 'Saisissez un nombre entier.',
	'form.min': 'La valeur minimale est {min}.',
	'form.max': 'La valeur maximale est {max}.',
	'form.date': 'Saisissez une date valide.',
	'form.choose': 'Choisissez une des options proposées.',
	'form.chooseAtLeastOne': 'Choisissez au moins une option.',
	'form.tooMany': 'Au plus {max} éléments.',
	'form.invalid': 'Valeur non valide.',
	'form.consent': 'Votre accord est nécessaire pour envoyer ce formulaire.',
	'form.fixErrors': 'Le formulaire contient des erreurs : corrigez les champs signalés. Vos saisies sont conservées.',
	'form.saved': 'Enregistré.',
	'form.saving': 'Enregistrement…',
	'form.bkndUnavailable': 'Le service de données est injoignable pour le moment : rien n’a été enregistré. Vos saisies sont conservées, réessayez dans quelques instants.',
	'form.tooManySubmissions': 'Trop d’envois depuis votre connexion. Réessayez dans {minutes} minutes.',
	'form.bodyTooLarge': 'Le formulaire est trop volumineux : raccourcissez les textes.'
} as const;
